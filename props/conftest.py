"""Property tests: the plugin (compat.record.plugin, loaded through its pytest11 entry point) does the rest."""
