// Placeholder so the package manifest resolves on the slagen branch (the target is filled on main).
