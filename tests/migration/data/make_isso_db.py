"""Writes isso-threads.db with Isso's own database code (Isso 0.14 from PyPI, in a throwaway venv):

    python3 -m venv /tmp/isso && /tmp/isso/bin/pip install isso==0.14.0
    /tmp/isso/bin/python tests/migration/data/make_isso_db.py tests/migration/data/isso-threads.db

Two threads: replies (Isso flattens them to one level), a pending comment, a deleted comment that
keeps its reply (mode 4), likes and dislikes from different addresses, Markdown, an edit.
Not run by the tests; kept so the file can be made again.
"""

import os
import sys
import time

from isso import config
from isso.db import SQLite3

path = sys.argv[1]
if os.path.exists(path):
    os.remove(path)
conf = config.load(config.default_file())
db = SQLite3(path, conf)
base = 1577880000.0  # 2020-01-01T12:00:00Z


def add(
    uri, text, author, minutes, parent=None, mode=1, email=None, website=None, addr="192.0.2.1"
):
    return db.comments.add(
        uri,
        {
            "text": text,
            "author": author,
            "email": email,
            "website": website,
            "parent": parent,
            "mode": mode,
            "remote_addr": addr,
            "created": base + minutes * 60,
        },
    )


db.threads.new("/2020/01/water/", "Water shortages in the valley")
db.threads.new("/2020/02/budget/", "The council's budget")
first = add("/2020/01/water/", "The **reservoir** is at 30%.", "Ada", 1, email="ada@example.org")
reply = add(
    "/2020/01/water/", "Source? [link](https://example.org/r)", "Bob", 2, parent=first["id"]
)
add(
    "/2020/01/water/",
    "A reply to a reply: Isso keeps it one level deep.",
    "Cy",
    3,
    parent=reply["id"],
)
add("/2020/01/water/", "Waiting for a moderator.", "Dee", 4, mode=2)
doomed = add("/2020/01/water/", "I will delete this.", "Eve", 5, website="https://eve.example.org")
add("/2020/01/water/", "Replying before it went.", "Fay", 6, parent=doomed["id"])
db.comments.delete(doomed["id"])
for n in range(3):
    db.comments.vote(True, first["id"], f"198.51.100.{n}")
db.comments.vote(False, first["id"], "198.51.100.9")
db.comments.update(
    reply["id"], {"text": "Source? [link](https://example.org/report)", "modified": base + 600}
)
add("/2020/02/budget/", "Ünïcödé and emoji 🎉 survive.", "Gus", 10)
add("/2020/02/budget/", "Second thought.", "Gus", 11)
db.comments.delete(add("/2020/02/budget/", "Deleted without replies: gone.", "Hal", 12)["id"])
print("wrote", path, time.time())
