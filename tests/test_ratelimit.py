"""The shared cache behind the rate limits counts atomically across connections."""

from threading import Barrier, Thread

import pytest
from django.core.cache import cache
from django.db import connections


@pytest.mark.django_db(transaction=True)
def test_parallel_increments_are_not_lost():
    cache.set("rl-test", 0, 60)
    workers, rounds = 8, 10
    barrier = Barrier(workers)

    def bump():
        barrier.wait()
        for _ in range(rounds):
            cache.incr("rl-test")
        connections.close_all()

    threads = [Thread(target=bump) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("rl-test") == workers * rounds


def test_incr_of_a_missing_key_raises(db):
    with pytest.raises(ValueError):
        cache.incr("never-set")
