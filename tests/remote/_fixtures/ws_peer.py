"""An independent WebSocket peer for opendesk's interop tests (Python's websockets library).

client URL SIZE...   connects, sends one binary message of each size (bytes i % 251), expects
                     each echoed back unchanged, then waits for the server to close and prints
                     the close code as JSON: {"close_code": N}
server               serves an echo on 127.0.0.1 (ephemeral port, no size limit), prints
                     {"port": N}, echoes binary messages until stdin closes
"""

import asyncio
import json
import sys

import websockets


def payload(size):
    return bytes(i % 251 for i in range(min(size, 251))) * (size // 251) + bytes(
        i % 251 for i in range(size % 251)
    )


async def client(url, sizes):
    async with websockets.connect(url, max_size=None, compression=None) as ws:
        for size in sizes:
            data = payload(size)
            await ws.send(data)
            echoed = await ws.recv()
            if echoed != data:
                raise SystemExit(f"echo of {size} bytes differs")
        await ws.send(b"close-please")
        try:
            await ws.recv()
        except websockets.ConnectionClosed as closed:
            print(json.dumps({"close_code": closed.rcvd.code if closed.rcvd else None}))


async def server():
    async def echo(ws):
        async for message in ws:
            await ws.send(message)

    async with websockets.serve(echo, "127.0.0.1", 0, max_size=None, compression=None) as srv:
        port = srv.sockets[0].getsockname()[1]
        print(json.dumps({"port": port}), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    if sys.argv[1] == "client":
        asyncio.run(client(sys.argv[2], [int(s) for s in sys.argv[3:]]))
    else:
        asyncio.run(server())
