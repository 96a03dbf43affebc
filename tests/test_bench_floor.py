from django.test import RequestFactory

from udsathed.views import bench_floor


def test_the_benchmark_floor_is_a_fixed_answer_without_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = bench_floor(RequestFactory().get("/bench/floor"))
    assert response.status_code == 200
    assert response.content == b"floor\n"


def test_the_floor_is_not_served_unless_switched_on(client, db):
    # BENCH_FLOOR is off outside `make bench`, so the URL is not there at all.
    assert client.get("/bench/floor").status_code == 404
