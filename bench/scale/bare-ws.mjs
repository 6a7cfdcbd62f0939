/* global performance -- Node globals (eslint.config.mjs declares none for .mjs) */
/*
 * The bare `ws` baseline of bench/scale/push.mjs, forked as a child process: a WebSocket server
 * that answers graphql-ws's connection_init with connection_ack (so the client connects to it
 * exactly as to a hub) and, on { type: 'broadcast', seq, payload }, sends the payload bytes (a
 * frame captured from a hub) to every open socket, then reports when it started sending.
 */
import process from 'node:process';
import { WebSocketServer } from 'ws';

const now = () => performance.timeOrigin + performance.now();
const sockets = new Set();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (ws) => {
  sockets.add(ws);
  ws.on('message', (data) => {
    if (JSON.parse(data.toString()).type === 'connection_init') {
      ws.send(JSON.stringify({ type: 'connection_ack' }));
    }
  });
  ws.on('close', () => sockets.delete(ws));
});
wss.on('listening', () => process.send({ type: 'listening', port: wss.address().port }));
process.on('message', (m) => {
  if (m.type === 'broadcast') {
    const t = now();
    for (const ws of sockets) ws.send(m.payload);
    process.send({ type: 'sent', seq: m.seq, t, sent: sockets.size });
  } else if (m.type === 'stop') {
    for (const ws of sockets) ws.terminate();
    wss.close(() => process.exit(0));
  }
});
