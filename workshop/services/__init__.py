"""Operations on workshops. Services flush; the edge (view, API, socket handler) commits once."""
