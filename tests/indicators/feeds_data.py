"""Small feeds in the real upstream schemas (Echap ioc.yaml / watchware.yaml, LOLRMM rmm_tools.json),
built at test time: the values are invented, the shapes are the real ones."""

from __future__ import annotations

import json

import yaml

ECHAP_IOC = [
    {
        "name": "ExampleSpy",
        "names": ["ExampleSpy", "ExSpy Pro"],
        "type": "stalkerware",
        "packages": ["com.example.spy"],
        "certificates": ["31A6ECECD97CF39BC4126B8745CD94A7C30BF81C"],
        "websites": ["examplespy.test", "www.examplespy.test"],
        "distribution": ["dl.examplespy.test"],
        "c2": {"domains": ["api.examplespy-c2.test", "s3.amazonaws.com"], "ips": ["192.0.2.10"]},
    },
    {"name": "TypoSpy", "type": "stalkerware", "c2": {"domains": ["typospy.test"], "ip": ["198.51.100.7", "nonsense"]}},
    {"name": "PhoneOnly", "type": "stalkerware", "packages": ["com.phone.only"]},
    # Merges into the built-in SentryPC entry by name: adds a domain, never raises trust.
    {"name": "SentryPC", "type": "stalkerware", "c2": {"domains": ["new-sentrypc-host.test"]}},
]
ECHAP_WATCHWARE = [
    {"name": "KidWatch", "type": "watchware", "websites": ["kidwatch.test"], "ios_bundles": ["com.kidwatch.ios"]},
]
LOLRMM = [
    {
        "Name": "ExampleDesk",
        "Category": "RMM",
        "Details": {
            "Website": "https://exampledesk.test",
            "PEMetadata": [
                {"Filename": "exampledesk.exe", "OriginalFileName": "ExampleDesk.exe", "Description": "", "Product": ""}
            ],
            "InstallationPaths": [
                "C:\\Program Files\\ExampleDesk\\*",
                "/Applications/ExampleDesk.app",
                "C:\\Users\\*\\Downloads\\exampledesk.exe",
                "exampledesk_helper.exe",
                "setup.exe",
            ],
            "SupportedOS": ["Windows", "Mac"],
        },
        "Artifacts": {
            "EventLog": [{"EventID": 7045, "ServiceName": "ExampleDesk Service", "ImagePath": "x"}],
            "Network": [{"Domains": ["*.exampledesk.test", "relay-[a-f0-9]{8}.exampledesk.test"], "Ports": [443]}],
        },
        "CodeSigning": {
            "certificates": [
                {"signer_name": "ExampleDesk GmbH"},
                {"signer_name": "Microsoft Corporation"},
                {"signer_name": "win.rar GmbH"},
            ]
        },
    },
    {
        "Name": "SampleRMM",
        "Details": {"PEMetadata": {"Filename": "ft38y1rpx.exe"}, "InstallationPaths": ["C:\\ProgramData\\SampleRMM\\"]},
    },
    {"Name": "PuTTY", "Details": {"PEMetadata": [{"Filename": "putty.exe"}]}},
]


def echap_ioc() -> bytes:
    return yaml.safe_dump(ECHAP_IOC, sort_keys=False).encode()


def echap_watchware() -> bytes:
    return yaml.safe_dump(ECHAP_WATCHWARE, sort_keys=False).encode()


def lolrmm() -> bytes:
    return json.dumps(LOLRMM, indent=1).encode()
