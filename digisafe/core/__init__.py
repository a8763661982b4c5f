"""The frame every feature plugs into: the report model, the Check API, subjects, the registry,
the runner and the session, exit codes, errors, profiles and safe file handling.

Nothing here knows about a particular feature (photos, browsers, monitoring software, phones);
features live in their own folders beside this one and depend on the core, never the reverse.
"""
