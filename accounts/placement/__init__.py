"""Placement import: how accounts arrive. ``rows`` and ``zones`` and ``reader`` are pure (no ORM);
``services.placement_import`` writes; views, the API and the ``import_placements`` command call it."""
