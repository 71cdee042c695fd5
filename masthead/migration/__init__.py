"""Moving a newsroom in and out: importers per source, one writer, `masthead import|export`."""
