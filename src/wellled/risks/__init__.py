"""Risk registers and the board assurance framework (BAF), scored with the NHS 5 x 5 matrix."""
