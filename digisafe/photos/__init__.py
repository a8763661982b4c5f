"""Find and remove location in photos and videos, losslessly.

One walker per container (jpeg, tiff, png, riff, gif, isobmff, jxl) and per payload (tiff/EXIF, xmp,
iptc); ``formats.walk_file`` sniffs a file and calls the right one; ``strip`` applies the
same-length patches to a copy, verifies it and renames it into place. See types.py for the shared
interface and docs/photos.md for users.
"""
