"""Network helpers of the tests, on loopback only."""

import socket


class Listener:
    """A bare TCP listener that only counts connections: proof that nothing connected."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]

    def connections(self) -> int:
        # A client's connect() returns once the kernel queued the connection: accept() sees it.
        count = 0
        while True:
            try:
                connection, _ = self.sock.accept()
            except BlockingIOError:
                return count
            connection.close()
            count += 1

    def close(self):
        self.sock.close()
