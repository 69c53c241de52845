"""A webhook receiver for the tour: records each delivery, and checks their signatures.

    python3 webhook_receiver.py PORT FILE          # listens on 127.0.0.1:PORT, appends to FILE
    python3 webhook_receiver.py --verify SECRET FILE

A delivery is signed as the README says: X-OS2PM-Signature is sha256=HMAC-SHA256(secret,
"<X-OS2PM-Timestamp>.<raw body>"). A real receiver also refuses old timestamps (replays);
the tour's may be weeks ahead, as the tour moves the server's clock to hold a board meeting.
"""

import hashlib
import hmac
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


def listen(port: int, path: str) -> None:
    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            record = {"headers": {k.lower(): v for k, v in self.headers.items()},
                      "body": body.decode("utf-8")}
            with open(path, "a", encoding="utf-8") as out:
                out.write(json.dumps(record) + "\n")
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args) -> None:  # quiet: the tour prints what matters
            pass

    HTTPServer(("127.0.0.1", port), Receiver).serve_forever()


def verify(secret: str, path: str) -> None:
    with open(path, encoding="utf-8") as records:
        deliveries = [json.loads(line) for line in records]
    for delivery in deliveries:
        headers, body = delivery["headers"], delivery["body"].encode("utf-8")
        timestamp = headers["x-os2pm-timestamp"]
        expected = "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body,
                                        hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, headers["x-os2pm-signature"]):
            sys.exit(f"!! delivery {headers['x-os2pm-delivery']}: the signature does not match")
        print(f"   {headers['x-os2pm-event-type']}: signature verified"
              f" (delivery {headers['x-os2pm-delivery']})")


if __name__ == "__main__":
    if sys.argv[1] == "--verify":
        verify(sys.argv[2], sys.argv[3])
    else:
        listen(int(sys.argv[1]), sys.argv[2])
