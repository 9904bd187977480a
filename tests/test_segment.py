from sitroom.segment import classify, segment, split_sentences


def kinds(text: str) -> list[str]:
    return [s.kind for s in segment(text)]


def test_numbered_gallery_captions_with_credits_are_captions():
    text = (
        "Fighting went on in the city on Monday, officials said.\n\n"
        "3/12 A soldier stands guard at a checkpoint near the river Reuters\n\n"
        "4/12 Families wait for buses outside the camp\n"
    )
    segs = segment(text)
    assert [s.kind for s in segs] == ["narrative", "caption", "caption"]
    assert segs[1].credit == "Reuters"
    assert segs[2].credit is None


def test_gallery_and_share_lines_are_boilerplate():
    assert classify("In pictures: floods in the south", False)[0] == "boilerplate"
    assert classify("14 show all In pictures: floods", False)[0] == "boilerplate"
    assert classify("Share this article", False)[0] == "boilerplate"
    assert classify("Next Post", False)[0] == "boilerplate"


def test_short_unpunctuated_line_is_title_first_and_related_link_later():
    text = "Rebels seize border town\n\nRebels seized the town on Friday, residents said.\n\nStorm hits coast again\n"
    assert kinds(text) == ["title", "narrative", "boilerplate"]


def test_unpunctuated_caption_with_trailing_credit():
    assert classify("Displaced families queue for water in the camp outside the city AFP", False) == ("caption", "AFP")


def test_sentences_respect_abbreviations_and_initials():
    text = "Gen. Joseph Votel said U.S. forces stayed. George W. Bush spoke on Jan. 5 in the city. It ended."
    sents = split_sentences(text, segment(text))
    assert [text[s.start : s.end] for s in sents] == [
        "Gen. Joseph Votel said U.S. forces stayed.",
        "George W. Bush spoke on Jan. 5 in the city.",
        "It ended.",
    ]


def test_sentences_keep_closing_quotes_and_skip_boilerplate():
    text = "“We will stay,” he said. “It is hard.” She agreed.\n\nRead more\n"
    sents = split_sentences(text, segment(text))
    assert [text[s.start : s.end] for s in sents] == ["“We will stay,” he said.", "“It is hard.”", "She agreed."]


def test_offsets_are_exact_with_leading_whitespace():
    text = "   Indented paragraph about the war ends here.   \n"
    seg = segment(text)[0]
    assert text[seg.start : seg.end] == "Indented paragraph about the war ends here."


def test_headline_after_leading_navigation_labels_is_the_title():
    text = "News\n\nShare this article\n\nTwo civilians killed in IED blast near Idlib\n\nThe blast hit a car.\n"
    assert kinds(text) == ["boilerplate", "boilerplate", "title", "narrative"]


def test_headlines_listed_after_next_post_are_boilerplate():
    text = (
        "Gunmen killed two farmers near the village on Friday, residents said.\n\n"
        "Next Post\n\n"
        "For circulating currencies | Regime arrests two young men at frontlines near the city…\n\n"
        "Unknown gunmen shoot member of a local council in the east.\n"
    )
    assert kinds(text) == ["narrative", "boilerplate", "boilerplate", "boilerplate"]


def test_text_from_html_extraction_keeps_subheadings_and_list_items():
    text = "Aid convoy reaches town\n\nThe convoy arrived on Monday.\n\nWhat was delivered\n\nFlour\n\nMedicine kits\n"
    assert kinds(text) == ["title", "narrative", "boilerplate", "boilerplate", "boilerplate"]
    cleaned = [s.kind for s in segment(text, cleaned=True)]
    assert cleaned == ["title", "narrative", "narrative", "narrative", "narrative"]


def test_every_credit_ends_with_a_listed_word():
    # ``_CAPTION_CREDIT`` is only searched on lines ending with a word of ``_CREDIT_LAST``.
    import re

    from sitroom import segment as seg

    for credit in seg._CREDIT.split("|"):
        for spelled in {re.sub(r"\(\?: ([^()]*)\)\?", "", credit), re.sub(r"\(\?: ([^()]*)\)\?", r" \1", credit)}:
            assert spelled.endswith(seg._CREDIT_LAST), spelled


def test_long_paragraph_word_count_is_capped_but_exact_below_cap():
    from sitroom import segment as seg

    assert seg._word_count("one two, three-four") == 4
    assert seg._word_count("word " * 500) >= seg._WORDS_CAP
    assert seg._word_count("x" * 1000 + " a b") == 3


def test_language_words_same_on_ascii_and_unicode_paths():
    from sitroom import language

    assert language._words("don’t stop—now") == (["don", "t", "stop", "now"], True)
    assert language._words("café au lait") == (["café", "au", "lait"], False)
    assert language._words("it's 2 o'clock_x") == (["it", "s", "o", "clock", "x"], True)
    assert language.detect_language("The army said that the people were killed in the attack on the town.") == "en"
