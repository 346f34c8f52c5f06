"""SMS encoding and segment maths: GSM-7 vs UCS-2, 160/153 and 70/67, extension characters."""

import pytest

from outreach.sms import GSM7, UCS2, sms_length


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", GSM7, 0, 0),
        ("a" * 160, GSM7, 160, 1),
        ("a" * 161, GSM7, 161, 2),
        ("a" * 306, GSM7, 306, 2),
        ("a" * 307, GSM7, 307, 3),
        ("€" * 80, GSM7, 160, 1),  # extension characters cost two
        ("€" + "a" * 159, GSM7, 161, 2),
        ("é" * 160, GSM7, 160, 1),  # é is in the GSM-7 basic table
        ("ê" + "a" * 69, UCS2, 70, 1),  # ê is not: the whole message goes UCS-2
        ("ê" + "a" * 70, UCS2, 71, 2),
        ("₦" + "a" * 133, UCS2, 134, 2),
        ("₦" + "a" * 134, UCS2, 135, 3),
        ("😀" * 35, UCS2, 70, 1),  # astral characters are two UTF-16 units
        ("😀" * 36, UCS2, 72, 2),
    ],
)
def test_encoding_and_segments(text, encoding, units, segments):
    length = sms_length(text)
    assert (length.encoding, length.units, length.segments) == (encoding, units, segments)


def test_escape_pair_is_never_split_across_parts():
    # 152 plain characters then a two-unit "€": it cannot straddle the 153-unit boundary.
    text = "a" * 152 + "€" + "a" * 10
    assert sms_length(text).segments == 2
    assert sms_length("a" * 152 + "€" + "a" * 152).segments == 3


def test_surrogate_pair_is_never_split_across_parts():
    text = "ê" * 66 + "😀" + "ê" * 10  # 66 + 2 + 10 = 78 units: 2 parts, emoji moves to part two
    assert sms_length(text).segments == 2
    assert sms_length("ê" * 66 + "😀" + "ê" * 66).segments == 3


def test_remaining_room_in_one_part():
    assert sms_length("Hello").remaining == 155
