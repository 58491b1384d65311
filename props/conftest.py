"""Property tests: the plugin (compat.plugin, loaded through its pytest11 entry point) does the rest."""
