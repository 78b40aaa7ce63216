# A WebSocket echo server from Python's standard library alone (RFC 6455, unfragmented
# frames): what a user would run in a sandbox and reach through forward/<port>/.
import base64, hashlib, socket, struct, sys, threading

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

def read_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data

def serve(conn):
    request = b""
    while b"\r\n\r\n" not in request:
        request += conn.recv(4096)
    headers = dict(line.split(": ", 1) for line in request.decode().split("\r\n")[1:] if ": " in line)
    key = headers.get("Sec-WebSocket-Key") or headers.get("sec-websocket-key")
    accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    conn.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").encode())
    try:
        while True:
            b1, b2 = read_exact(conn, 2)
            opcode, length = b1 & 0x0F, b2 & 0x7F
            if length == 126:
                length = struct.unpack(">H", read_exact(conn, 2))[0]
            elif length == 127:
                length = struct.unpack(">Q", read_exact(conn, 8))[0]
            mask = read_exact(conn, 4) if b2 & 0x80 else b"\0\0\0\0"
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(read_exact(conn, length)))
            if opcode == 8:
                conn.sendall(b"\x88\x02\x03\xe8")
                return
            if opcode in (1, 2):
                if opcode == 1:
                    payload = b"echo: " + payload
                header = bytes([0x80 | opcode])
                if len(payload) < 126:
                    header += bytes([len(payload)])
                elif len(payload) < 65536:
                    header += bytes([126]) + struct.pack(">H", len(payload))
                else:
                    header += bytes([127]) + struct.pack(">Q", len(payload))
                conn.sendall(header + payload)
    finally:
        conn.close()

server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen()
print("listening", flush=True)
while True:
    c, _ = server.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
