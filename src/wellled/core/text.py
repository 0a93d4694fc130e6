"""Text that every output can hold: XML 1.0 (so Word and Excel files) refuses most control characters.

Source: XML 1.0 (Fifth Edition) §2.2, production [2] Char. Text pasted from Word carries its manual line break as a
vertical tab (U+000B); one such character would stop a board paper's Word and Excel files from being produced.
"""

from __future__ import annotations

import re

# Characters XML 1.0 cannot hold: C0 controls other than tab, line feed and carriage return; lone surrogates;
# U+FFFE and U+FFFF.
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Word's manual line break (vertical tab) and page break (form feed) stand for a new line.
LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def xml_safe(text: str) -> str:
    """The text with Word's line and page breaks as new lines and every other character XML cannot hold dropped."""
    return XML_ILLEGAL_RE.sub("", text.translate(LINE_BREAKS))
