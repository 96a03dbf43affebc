import pytest

from udsathed.core.readability import lix, sentences, words


def test_lix_of_a_known_text_by_hand():
    # 10 words, 2 sentences, 3 long words (sommerferien, stranden, hjemmefra): 5 + 30.
    text = "Vi tager på sommerferien i morgen. Stranden ligger langt hjemmefra."
    assert words(text)[-1] == "hjemmefra"
    assert len(sentences(text)) == 2
    assert lix(text) == pytest.approx(5 + 30)


def test_lix_of_a_very_easy_text_is_low():
    assert lix("Vi ses i dag. Du er god. Kom ind.") == pytest.approx(9 / 3)


def test_lix_of_a_bureaucratic_sentence_is_very_hard():
    text = (
        "Kommunalbestyrelsens strategiske målsætninger vedrørende socialt udsatte borgeres "
        "inklusion forudsætter tværgående samarbejdsrelationer mellem forvaltningerne."
    )
    # 13 words, 1 sentence, 12 long (all but "mellem"): 13 + 92.3
    assert lix(text) == pytest.approx(13 + 100 * 12 / 13)


def test_words_keep_hyphens_and_skip_numbers_and_punctuation():
    assert words("Skriv din e-mail – 2026 er året!") == ["Skriv", "din", "e-mail", "er", "året"]


def test_sentences_end_at_marks_and_line_breaks_not_inside_numbers():
    text = "Vi er 1.000 ambassadører\nTak: vi svarer. Hvornår? Snart!"
    assert sentences(text) == [
        "Vi er 1.000 ambassadører",
        "Tak",
        " vi svarer",
        " Hvornår",
        " Snart",
    ]


def test_lix_of_no_words_is_zero():
    assert lix("") == 0.0
    assert lix("42 – !") == 0.0
