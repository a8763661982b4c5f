-- schema and rows of a permissions.sqlite written by Firefox 153 ESR (our own test profile)
CREATE TABLE moz_perms ( id INTEGER PRIMARY KEY,origin TEXT,type TEXT,permission INTEGER,expireType INTEGER,expireTime INTEGER,modificationTime INTEGER);
CREATE TABLE moz_hosts ( id INTEGER PRIMARY KEY,host TEXT,type TEXT,permission INTEGER,expireType INTEGER,expireTime INTEGER,modificationTime INTEGER,isInBrowserElement INTEGER);
CREATE TABLE moz_origin_interactions ( origin TEXT PRIMARY KEY,lastInteractionTime INTEGER);
PRAGMA user_version = 13;
INSERT INTO moz_perms VALUES (1, 'http://127.0.0.1:8123', 'geo', 1, 0, 0, 1795491237299);
INSERT INTO moz_perms VALUES (2, 'https://maps.example.com', 'camera', 1, 0, 0, 1795491237301);
INSERT INTO moz_perms VALUES (3, 'https://maps.example.com', 'microphone', 1, 0, 0, 1795491237308);
INSERT INTO moz_perms VALUES (4, 'https://blocked.example', 'geo', 2, 0, 0, 1795491237308);
INSERT INTO moz_perms VALUES (5, 'https://timed.example', 'geo', 1, 2, 1795494837308, 1795491237308);
INSERT INTO moz_perms VALUES (6, 'https://xr.example', 'xr', 1, 0, 0, 1795491237308);
