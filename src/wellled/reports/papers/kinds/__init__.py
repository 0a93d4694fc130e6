"""The paper kinds of the reports app itself (the board paper); other apps keep theirs beside their own data."""
