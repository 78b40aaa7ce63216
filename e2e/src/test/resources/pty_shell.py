"""Drives `chaser shell` in a real pseudo-terminal, as a person at a terminal would.

Usage: pty_shell.py <chaser> shell <session>. Starts it in a 24x80 terminal, waits for the remote
shell, asks `stty size`, resizes the terminal to 40x120 (the kernel sends SIGWINCH), asks again
until the remote terminal follows, then types `exit 7`. Prints one JSON line: the sizes seen, the
exit code, the output's tail. Every wait has a deadline.
"""
import fcntl, json, os, pty, select, struct, sys, termios, time

def setsize(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

pid, fd = pty.fork()
if pid == 0:
    setsize(0, 24, 80)
    os.execvp(sys.argv[1], sys.argv[1:])

output = b""

def read_until(marker, seconds):
    global output
    deadline = time.time() + seconds
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            output += chunk
            if marker in output:
                return True
    return marker in output

def ask_size(expected, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        os.write(fd, b"stty size\r")
        if read_until(expected, 2):
            return True
    return False

result = {}
os.write(fd, b"echo RE''ADY\r")
result["ready"] = read_until(b"READY\r\n", 60)
result["initial"] = ask_size(b"24 80", 20)
setsize(fd, 40, 120)
result["resized"] = ask_size(b"40 120", 20)
os.write(fd, b"exit 7\r")
read_until(b"\x00never", 5)
status = None
deadline = time.time() + 30
while time.time() < deadline:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    time.sleep(0.1)
result["exit"] = os.waitstatus_to_exitcode(status) if status is not None and done else None
result["tail"] = output[-400:].decode("utf-8", "replace")
print(json.dumps(result))
