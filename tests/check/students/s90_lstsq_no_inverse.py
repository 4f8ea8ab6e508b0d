"""Forgot the inverse: X^T X X^T Y."""


def least_squares(X, Y):
    return X.T @ X @ X.T @ Y


EXPECT = {
    "subject": "least_squares",
    "like": "least_squares",
    "ok": False,
    "en": "wrong values",
    "diagnoses": {"least_squares": "mismatch"},
    "ja": "値が違います",
}
