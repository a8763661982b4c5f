"""Monitoring software on a laptop: judging indicator matches, autostart entries, keyboard
devices (Linux) and privacy grants (macOS TCC)."""
