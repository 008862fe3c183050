// A local SMTP sink on 127.0.0.1 for tests of the outbox's delivery (nodemailer talks to it as to
// a mail server).
import { createServer, type Server, type Socket } from "node:net";

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

/**
 * Just enough SMTP (RFC 5321) for nodemailer to hand over messages: EHLO, MAIL, RCPT, DATA,
 * RSET, QUIT. Recipients in `refuse` get a 550, as a mail server refusing them would answer.
 */
export function smtpSink(refuse: ReadonlySet<string> = new Set()): { server: Server; received: ReceivedMail[] } {
  const received: ReceivedMail[] = [];
  const server = createServer((socket: Socket) => {
    let buffer = "";
    let inData = false;
    let current: ReceivedMail = { from: "", to: [], data: "" };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 sink.test ESMTP");
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      for (let end = buffer.indexOf("\r\n"); end >= 0; end = buffer.indexOf("\r\n")) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            received.push(current);
            current = { from: "", to: [], data: "" };
            reply("250 queued");
          } else current.data += `${line.startsWith("..") ? line.slice(1) : line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") reply("250 sink.test");
        else if (verb === "MAIL") {
          current = { from: line.slice(line.indexOf("<") + 1, line.indexOf(">")), to: [], data: "" };
          reply("250 ok");
        } else if (verb === "RCPT") {
          const to = line.slice(line.indexOf("<") + 1, line.indexOf(">"));
          if (refuse.has(to)) reply("550 no such mailbox");
          else {
            current.to.push(to);
            reply("250 ok");
          }
        } else if (verb === "DATA") {
          inData = true;
          reply("354 go ahead");
        } else if (verb === "RSET") reply("250 ok");
        else if (verb === "QUIT") {
          reply("221 bye");
          socket.end();
        } else reply("502 not implemented");
      }
    });
  });
  return { server, received };
}
