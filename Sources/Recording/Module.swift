// Module anchor; the module's real files live beside it.
