"""Ids a request names: only those a row can have reach the database."""

from guanwu.core.ids import MAX_ID, possible_ids


def test_possible_ids_leave_out_what_no_row_can_have():
    """An id past 64 bits (a fuzzing client's, or a typo) names no row: SQLite could not even be
    asked about it in ``pk__in``, so the services drop it and answer 404."""
    assert possible_ids([1, "2", MAX_ID, MAX_ID + 1, 0, -3, "x", None, 2**100]) == [1, 2, MAX_ID]
