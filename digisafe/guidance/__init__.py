"""Privacy and safety guidance, and the printable checklist built from it.

- model: topics and action items (frozen dataclasses)
- loader / validate: read digisafe/content/guidance/*.yaml and check them before use
- readability: the plain-English bar every item is held to
- tailor: order and mark items by what a report found
- text / markdown / html / pdf: renderers for the guide and the checklist
- checklist: ``write_checklist(report, path)`` for ``digisafe audit --checklist FILE``
"""
