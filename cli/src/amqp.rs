//! A small blocking AMQP 0-9-1 client for talking to a real RabbitMQ, on top of `amq-protocol`
//! (lapin's protocol layer: frames, methods, field tables).
//!
//! Blocking on purpose: like pika's `BlockingConnection`, which recorded the goldens, it sends a
//! method, reads until the reply, and keeps everything else that arrives (deliveries, returns,
//! confirms, a channel closed by the broker) in arrival order for the runner to collect.
//!
//! Talking to a real broker takes real time: this module, unlike the engine, reads the clock.
#![allow(clippy::disallowed_methods)]

use amq_protocol::frame::{gen_frame, parse_frame, AMQPContentHeader, AMQPFrame, ProtocolVersion};
use amq_protocol::protocol::{basic, channel, confirm, connection, exchange, queue, AMQPClass, BasicProperties};
use amq_protocol::types::{AMQPValue, FieldTable, LongString};
use std::collections::BTreeMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// Something the broker sent that no method waited for.
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Incoming {
    Deliver {
        ch: u16,
        consumer_tag: String,
        delivery_tag: u64,
        redelivered: bool,
        exchange: String,
        routing_key: String,
        properties: BasicProperties,
        body: Vec<u8>,
    },
    Return {
        ch: u16,
        reply_code: u16,
        reply_text: String,
        exchange: String,
        routing_key: String,
        body: Vec<u8>,
    },
    Ack {
        ch: u16,
        tag: u64,
        multiple: bool,
    },
    Nack {
        ch: u16,
        tag: u64,
        multiple: bool,
    },
    ChannelClosed {
        ch: u16,
        code: u16,
        text: String,
    },
}

/// Why a call failed.
#[derive(Clone, Debug)]
pub enum Error {
    /// The broker closed the channel (code, text).
    Channel(u16, String),
    /// The broker closed the connection (code, text).
    Connection(u16, String),
    /// The socket failed or the broker sent something this client cannot read.
    Io(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Channel(c, t) => write!(f, "channel closed: {c} {t}"),
            Error::Connection(c, t) => write!(f, "connection closed: {c} {t}"),
            Error::Io(e) => write!(f, "{e}"),
        }
    }
}

/// What `basic.get` returned.
#[derive(Clone, Debug)]
pub struct GetOk {
    pub delivery_tag: u64,
    pub redelivered: bool,
    pub exchange: String,
    pub routing_key: String,
    pub message_count: u32,
    pub properties: BasicProperties,
    pub body: Vec<u8>,
}

/// Where to connect: `amqp://user:password@host:port/vhost` (vhost `%2f` is `/`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub vhost: String,
}

impl Url {
    pub fn parse(s: &str) -> Result<Url, String> {
        let rest = s
            .strip_prefix("amqp://")
            .ok_or_else(|| format!("'{s}' is not an amqp:// URL (amqp://user:password@host:port/vhost)"))?;
        let (auth, hostpart) = match rest.rsplit_once('@') {
            Some((a, h)) => (Some(a), h),
            None => (None, rest),
        };
        let (user, password) = match auth {
            Some(a) => a
                .split_once(':')
                .map(|(u, p)| (u.to_string(), p.to_string()))
                .unwrap_or((a.to_string(), String::new())),
            None => ("guest".into(), "guest".into()),
        };
        let (hostport, vhost) = match hostpart.split_once('/') {
            Some((h, v)) if !v.is_empty() => (h, v.replace("%2f", "/").replace("%2F", "/")),
            Some((h, _)) => (h, "/".to_string()),
            None => (hostpart, "/".to_string()),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (
                h.to_string(),
                p.parse::<u16>().map_err(|_| format!("'{p}' is not a port number"))?,
            ),
            None => (hostport.to_string(), 5672),
        };
        if host.is_empty() {
            return Err(format!("'{s}' names no host"));
        }
        Ok(Url {
            host,
            port,
            user,
            password,
            vhost,
        })
    }
}

/// One connection to a broker.
pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    frame_max: u32,
    next_channel: u16,
    open: BTreeMap<u16, ()>,
    /// What arrived unasked, in order.
    pub inbox: Vec<Incoming>,
    /// Set once the broker closed the connection.
    pub closed: Option<(u16, String)>,
    /// A delivery, return or get-ok waiting for its content.
    partial: Option<(u16, Partial)>,
    /// The content being assembled: expected size, body so far, properties.
    body_pending: (u64, Vec<u8>, BasicProperties),
    /// The last get-ok, complete.
    got: Option<GetOk>,
}

#[derive(Clone, Debug)]
enum Partial {
    Deliver(basic::Deliver),
    Return(basic::Return),
    GetOk(basic::GetOk),
}

const FRAME_MAX: u32 = 131_072;

impl Conn {
    /// Connect and log in; the error is one line a user can act on.
    pub fn connect(url: &Url) -> Result<Conn, String> {
        match Conn::login(url)? {
            Ok(c) => Ok(c),
            Err((code, text)) => Err(format!(
                "the broker at {}:{} refused the connection: {code} {text}",
                url.host, url.port
            )),
        }
    }

    /// Connect and log in: `Ok(Err((code, text)))` when the broker refused the login or the
    /// vhost (the `connection.close` it sent), `Err` when no broker answered.
    pub fn login(url: &Url) -> Result<Result<Conn, (u16, String)>, String> {
        let addr = (url.host.as_str(), url.port)
            .to_socket_addrs()
            .map_err(|e| format!("cannot resolve {}:{}: {e}", url.host, url.port))?
            .next()
            .ok_or_else(|| format!("cannot resolve {}:{}", url.host, url.port))?;
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
            .map_err(|e| format!("cannot reach a broker at {}:{}: {e}", url.host, url.port))?;
        stream.set_nodelay(true).ok();
        let mut c = Conn {
            stream,
            buf: Vec::new(),
            frame_max: FRAME_MAX,
            next_channel: 1,
            open: BTreeMap::new(),
            inbox: Vec::new(),
            closed: None,
            partial: None,
            body_pending: (0, Vec::new(), BasicProperties::default()),
            got: None,
        };
        match c.handshake(url) {
            Ok(()) => Ok(Ok(c)),
            Err(Error::Connection(code, text)) => Ok(Err((code, text))),
            Err(other) => Err(format!(
                "no AMQP 0-9-1 broker answered at {}:{}: {other}",
                url.host, url.port
            )),
        }
    }

    fn handshake(&mut self, url: &Url) -> Result<(), Error> {
        self.send(&AMQPFrame::ProtocolHeader(ProtocolVersion::amqp_0_9_1()))?;
        self.expect(0, Duration::from_secs(5), |m| {
            matches!(m, AMQPClass::Connection(connection::AMQPMethod::Start(_)))
        })?;
        let mut caps = FieldTable::default();
        for cap in [
            "publisher_confirms",
            "consumer_cancel_notify",
            "basic.nack",
            "exchange_exchange_bindings",
            "connection.blocked",
            "authentication_failure_close",
        ] {
            caps.insert(cap.into(), AMQPValue::Boolean(true));
        }
        let mut props = FieldTable::default();
        props.insert("product".into(), AMQPValue::LongString("warren".into()));
        props.insert("capabilities".into(), AMQPValue::FieldTable(caps));
        let response = format!("\0{}\0{}", url.user, url.password);
        self.method(
            0,
            AMQPClass::Connection(connection::AMQPMethod::StartOk(connection::StartOk {
                client_properties: props,
                mechanism: "PLAIN".into(),
                response: LongString::from(response.into_bytes()),
                locale: "en_US".into(),
            })),
        )?;
        let tune = self.expect(0, Duration::from_secs(5), |m| {
            matches!(m, AMQPClass::Connection(connection::AMQPMethod::Tune(_)))
        })?;
        let AMQPClass::Connection(connection::AMQPMethod::Tune(t)) = tune else {
            unreachable!()
        };
        self.frame_max = if t.frame_max == 0 {
            FRAME_MAX
        } else {
            t.frame_max.min(FRAME_MAX)
        };
        self.method(
            0,
            AMQPClass::Connection(connection::AMQPMethod::TuneOk(connection::TuneOk {
                channel_max: t.channel_max,
                frame_max: self.frame_max,
                heartbeat: 0,
            })),
        )?;
        self.method(
            0,
            AMQPClass::Connection(connection::AMQPMethod::Open(connection::Open {
                virtual_host: url.vhost.as_str().into(),
            })),
        )?;
        self.expect(0, Duration::from_secs(5), |m| {
            matches!(m, AMQPClass::Connection(connection::AMQPMethod::OpenOk(_)))
        })?;
        Ok(())
    }

    pub fn is_open(&self) -> bool {
        self.closed.is_none()
    }

    fn send(&mut self, frame: &AMQPFrame) -> Result<(), Error> {
        let (bytes, _) = cookie_factory::gen(gen_frame(frame), Vec::new())
            .map_err(|e| Error::Io(format!("cannot encode a frame: {e:?}")))?;
        self.stream
            .write_all(&bytes)
            .map_err(|e| Error::Io(format!("cannot send to the broker: {e}")))
    }

    fn method(&mut self, ch: u16, m: AMQPClass) -> Result<(), Error> {
        self.send(&AMQPFrame::Method(ch, m))
    }

    /// Read and handle one frame, waiting at most `timeout`. Ok(false) when nothing came.
    fn read_one(&mut self, timeout: Duration) -> Result<Option<AMQPFrame>, Error> {
        let deadline = Instant::now() + timeout;
        loop {
            match parse_frame(self.buf.as_slice()) {
                Ok((rest, frame)) => {
                    let used = self.buf.len() - rest.len();
                    self.buf.drain(..used);
                    return Ok(Some(frame));
                }
                Err(e) if e.is_incomplete() => {}
                Err(e) => return Err(Error::Io(format!("cannot read a frame from the broker: {e:?}"))),
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            self.stream
                .set_read_timeout(Some((deadline - now).max(Duration::from_millis(1))))
                .ok();
            let mut chunk = [0u8; 65536];
            match self.stream.read(&mut chunk) {
                Ok(0) => {
                    let why = "the broker closed the socket".to_string();
                    self.closed.get_or_insert((0, why.clone()));
                    return Err(Error::Io(why));
                }
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => return Ok(None),
                Err(e) => return Err(Error::Io(format!("cannot read from the broker: {e}"))),
            }
        }
    }

    /// Handle a frame that no method waits for; returns the method if it is a reply for someone.
    fn dispatch(&mut self, frame: AMQPFrame) -> Result<Option<(u16, AMQPClass)>, Error> {
        match frame {
            AMQPFrame::Method(ch, m) => match m {
                AMQPClass::Basic(basic::AMQPMethod::Deliver(d)) => {
                    self.partial = Some((ch, Partial::Deliver(d)));
                    Ok(None)
                }
                AMQPClass::Basic(basic::AMQPMethod::Return(r)) => {
                    self.partial = Some((ch, Partial::Return(r)));
                    Ok(None)
                }
                AMQPClass::Basic(basic::AMQPMethod::GetOk(g)) => {
                    self.partial = Some((ch, Partial::GetOk(g)));
                    Ok(None)
                }
                AMQPClass::Basic(basic::AMQPMethod::Ack(a)) => {
                    self.inbox.push(Incoming::Ack {
                        ch,
                        tag: a.delivery_tag,
                        multiple: a.multiple,
                    });
                    Ok(None)
                }
                AMQPClass::Basic(basic::AMQPMethod::Nack(a)) => {
                    self.inbox.push(Incoming::Nack {
                        ch,
                        tag: a.delivery_tag,
                        multiple: a.multiple,
                    });
                    Ok(None)
                }
                AMQPClass::Basic(basic::AMQPMethod::Cancel(c)) => {
                    // the broker cancelled a consumer (its queue went): nothing to trace; RabbitMQ
                    // sends it with nowait and takes no cancel-ok
                    if !c.nowait {
                        let ok = basic::CancelOk {
                            consumer_tag: c.consumer_tag,
                        };
                        self.method(ch, AMQPClass::Basic(basic::AMQPMethod::CancelOk(ok)))?;
                    }
                    Ok(None)
                }
                AMQPClass::Channel(channel::AMQPMethod::Close(c)) => {
                    self.method(
                        ch,
                        AMQPClass::Channel(channel::AMQPMethod::CloseOk(channel::CloseOk {})),
                    )?;
                    self.open.remove(&ch);
                    self.inbox.push(Incoming::ChannelClosed {
                        ch,
                        code: c.reply_code,
                        text: c.reply_text.to_string(),
                    });
                    Ok(Some((ch, AMQPClass::Channel(channel::AMQPMethod::Close(c)))))
                }
                AMQPClass::Connection(connection::AMQPMethod::Close(c)) => {
                    let _ = self.method(
                        0,
                        AMQPClass::Connection(connection::AMQPMethod::CloseOk(connection::CloseOk {})),
                    );
                    self.open.clear();
                    self.closed = Some((c.reply_code, c.reply_text.to_string()));
                    Err(Error::Connection(c.reply_code, c.reply_text.to_string()))
                }
                other => Ok(Some((ch, other))),
            },
            AMQPFrame::Header(ch, header) => self.content_header(ch, header),
            AMQPFrame::Body(ch, data) => self.content_body(ch, data),
            AMQPFrame::Heartbeat | AMQPFrame::InvalidHeartbeat(_) | AMQPFrame::ProtocolHeader(_) => Ok(None),
        }
    }

    fn content_header(&mut self, ch: u16, header: AMQPContentHeader) -> Result<Option<(u16, AMQPClass)>, Error> {
        let Some((pch, p)) = self.partial.take() else {
            return Ok(None);
        };
        self.body_pending = (header.body_size, Vec::new(), header.properties);
        self.partial = Some((pch, p));
        if header.body_size == 0 {
            return self.complete(ch);
        }
        Ok(None)
    }

    fn content_body(&mut self, ch: u16, data: Vec<u8>) -> Result<Option<(u16, AMQPClass)>, Error> {
        self.body_pending.1.extend_from_slice(&data);
        if self.body_pending.1.len() as u64 >= self.body_pending.0 {
            return self.complete(ch);
        }
        Ok(None)
    }

    fn complete(&mut self, _ch: u16) -> Result<Option<(u16, AMQPClass)>, Error> {
        let Some((ch, p)) = self.partial.take() else {
            return Ok(None);
        };
        let (_, body, properties) = std::mem::take(&mut self.body_pending);
        match p {
            Partial::Deliver(d) => self.inbox.push(Incoming::Deliver {
                ch,
                consumer_tag: d.consumer_tag.to_string(),
                delivery_tag: d.delivery_tag,
                redelivered: d.redelivered,
                exchange: d.exchange.to_string(),
                routing_key: d.routing_key.to_string(),
                properties,
                body,
            }),
            Partial::Return(r) => self.inbox.push(Incoming::Return {
                ch,
                reply_code: r.reply_code,
                reply_text: r.reply_text.to_string(),
                exchange: r.exchange.to_string(),
                routing_key: r.routing_key.to_string(),
                body,
            }),
            Partial::GetOk(g) => {
                self.got = Some(GetOk {
                    delivery_tag: g.delivery_tag,
                    redelivered: g.redelivered,
                    exchange: g.exchange.to_string(),
                    routing_key: g.routing_key.to_string(),
                    message_count: g.message_count,
                    properties,
                    body,
                });
                return Ok(Some((
                    ch,
                    AMQPClass::Basic(basic::AMQPMethod::GetOk(basic::GetOk {
                        delivery_tag: 0,
                        redelivered: false,
                        exchange: "".into(),
                        routing_key: "".into(),
                        message_count: 0,
                    })),
                )));
            }
        }
        Ok(None)
    }

    /// Read until a method on `ch` satisfies `want`; a broker close of that channel (or the
    /// connection) is the error.
    fn expect(&mut self, ch: u16, timeout: Duration, want: impl Fn(&AMQPClass) -> bool) -> Result<AMQPClass, Error> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Error::Io(format!(
                    "the broker did not answer on channel {ch} within {timeout:?}"
                )));
            }
            let Some(frame) = self.read_one(left)? else { continue };
            if let Some((fch, m)) = self.dispatch(frame)? {
                if fch == ch {
                    if let AMQPClass::Channel(channel::AMQPMethod::Close(c)) = &m {
                        // the inbox keeps it only for asynchronous closes: this one is the answer
                        self.inbox.pop();
                        return Err(Error::Channel(c.reply_code, c.reply_text.to_string()));
                    }
                    if want(&m) {
                        return Ok(m);
                    }
                }
            }
        }
    }

    /// Wait up to `timeout` for anything; true when something arrived.
    pub fn poll(&mut self, timeout: Duration) -> Result<bool, Error> {
        let deadline = Instant::now() + timeout;
        let mut any = false;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Some(frame) = self.read_one(left)? else {
                return Ok(any);
            };
            any = true;
            self.dispatch(frame)?;
        }
    }

    /// Open a channel; returns its number.
    pub fn open_channel(&mut self) -> Result<u16, Error> {
        let mut ch = self.next_channel;
        while self.open.contains_key(&ch) {
            ch = ch.wrapping_add(1).max(1);
        }
        self.next_channel = ch.wrapping_add(1).max(1);
        self.method(ch, AMQPClass::Channel(channel::AMQPMethod::Open(channel::Open {})))?;
        self.expect(ch, Duration::from_secs(5), |m| {
            matches!(m, AMQPClass::Channel(channel::AMQPMethod::OpenOk(_)))
        })?;
        self.open.insert(ch, ());
        Ok(ch)
    }

    pub fn channel_is_open(&self, ch: u16) -> bool {
        self.closed.is_none() && self.open.contains_key(&ch)
    }

    /// Send a synchronous method and wait for its reply.
    pub fn call(&mut self, ch: u16, m: AMQPClass) -> Result<AMQPClass, Error> {
        let want = reply_of(&m);
        self.method(ch, m)?;
        self.expect(ch, Duration::from_secs(10), |r| reply_name(r) == want)
    }

    /// `basic.qos`, written by hand: amq-protocol always sends prefetch_size 0, and RabbitMQ's
    /// answer to a non-zero one is part of what is compared.
    pub fn qos(&mut self, ch: u16, prefetch_size: u32, prefetch_count: u16, global: bool) -> Result<(), Error> {
        let mut payload = vec![0, 60, 0, 10];
        payload.extend_from_slice(&prefetch_size.to_be_bytes());
        payload.extend_from_slice(&prefetch_count.to_be_bytes());
        payload.push(global as u8);
        let mut frame = vec![1];
        frame.extend_from_slice(&ch.to_be_bytes());
        frame.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        frame.extend_from_slice(&payload);
        frame.push(0xCE);
        self.stream
            .write_all(&frame)
            .map_err(|e| Error::Io(format!("cannot send to the broker: {e}")))?;
        self.expect(ch, Duration::from_secs(10), |r| {
            matches!(r, AMQPClass::Basic(basic::AMQPMethod::QosOk(_)))
        })?;
        Ok(())
    }

    /// After a method the broker does not answer (a publish without confirms, an ack, a nack or
    /// reject), one it does on the same channel: `channel.flow(active=true)`, which RabbitMQ
    /// answers for any user and which changes nothing (a passive declare of `amq.direct` did,
    /// until RabbitMQ 4.x wanted a permission for it). The broker handles a channel's methods in
    /// order, so an error the first one caused (an unknown delivery tag, a missing exchange) has
    /// closed the channel by then, and the step that caused it records it however loaded the
    /// broker is, rather than only if it arrives within the settle window.
    pub fn round_trip(&mut self, ch: u16) -> Result<(), Error> {
        let m = channel::Flow { active: true };
        self.call(ch, AMQPClass::Channel(channel::AMQPMethod::Flow(m)))?;
        Ok(())
    }

    /// Send an asynchronous method (ack, nack, reject).
    pub fn cast(&mut self, ch: u16, m: AMQPClass) -> Result<(), Error> {
        self.method(ch, m)
    }

    /// `basic.publish` with its content.
    pub fn publish(
        &mut self,
        ch: u16,
        exchange: &str,
        routing_key: &str,
        mandatory: bool,
        properties: BasicProperties,
        body: &[u8],
    ) -> Result<(), Error> {
        self.method(
            ch,
            AMQPClass::Basic(basic::AMQPMethod::Publish(basic::Publish {
                exchange: exchange.into(),
                routing_key: routing_key.into(),
                mandatory,
                immediate: false,
            })),
        )?;
        self.send(&AMQPFrame::Header(
            ch,
            AMQPContentHeader {
                class_id: 60,
                body_size: body.len() as u64,
                properties,
            },
        ))?;
        for chunk in body.chunks((self.frame_max - 8) as usize) {
            self.send(&AMQPFrame::Body(ch, chunk.to_vec()))?;
        }
        Ok(())
    }

    /// `basic.get`: the message, or None for get-empty.
    pub fn get(&mut self, ch: u16, queue: &str, no_ack: bool) -> Result<Option<GetOk>, Error> {
        self.method(
            ch,
            AMQPClass::Basic(basic::AMQPMethod::Get(basic::Get {
                queue: queue.into(),
                no_ack,
            })),
        )?;
        let r = self.expect(ch, Duration::from_secs(10), |r| {
            matches!(
                r,
                AMQPClass::Basic(basic::AMQPMethod::GetOk(_) | basic::AMQPMethod::GetEmpty(_))
            )
        })?;
        Ok(match r {
            AMQPClass::Basic(basic::AMQPMethod::GetOk(_)) => self.got.take(),
            _ => None,
        })
    }

    /// Wait for the confirm of publish `seq` on `ch`: true for ack, false for nack.
    pub fn wait_confirm(&mut self, ch: u16, seq: u64) -> Result<bool, Error> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            for m in &self.inbox {
                match *m {
                    Incoming::Ack { ch: c, tag, multiple } if c == ch && (tag == seq || (multiple && tag >= seq)) => {
                        return Ok(true)
                    }
                    Incoming::Nack { ch: c, tag, multiple } if c == ch && (tag == seq || (multiple && tag >= seq)) => {
                        return Ok(false)
                    }
                    Incoming::ChannelClosed { ch: c, ref text, code } if c == ch => {
                        return Err(Error::Channel(code, text.clone()))
                    }
                    _ => {}
                }
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Error::Io(format!("no confirm for publish {seq} on channel {ch}")));
            }
            if let Some(frame) = self.read_one(left)? {
                self.dispatch(frame)?;
            }
        }
    }

    /// Close a channel as a client does.
    pub fn close_channel(&mut self, ch: u16) -> Result<(), Error> {
        self.method(
            ch,
            AMQPClass::Channel(channel::AMQPMethod::Close(channel::Close {
                reply_code: 200,
                reply_text: "Normal shutdown".into(),
                class_id: 0,
                method_id: 0,
            })),
        )?;
        self.expect(ch, Duration::from_secs(10), |r| {
            matches!(r, AMQPClass::Channel(channel::AMQPMethod::CloseOk(_)))
        })?;
        self.open.remove(&ch);
        Ok(())
    }

    /// Close the connection as a client does.
    pub fn close(&mut self) {
        if self.closed.is_some() {
            return;
        }
        let _ = self.method(
            0,
            AMQPClass::Connection(connection::AMQPMethod::Close(connection::Close {
                reply_code: 200,
                reply_text: "Normal shutdown".into(),
                class_id: 0,
                method_id: 0,
            })),
        );
        let _ = self.expect(0, Duration::from_secs(5), |r| {
            matches!(r, AMQPClass::Connection(connection::AMQPMethod::CloseOk(_)))
        });
        self.closed = Some((200, "closed by the client".into()));
        self.open.clear();
    }
}

/// The name of the method that answers `m`.
fn reply_of(m: &AMQPClass) -> &'static str {
    match m {
        AMQPClass::Exchange(exchange::AMQPMethod::Declare(_)) => "exchange.declare-ok",
        AMQPClass::Exchange(exchange::AMQPMethod::Delete(_)) => "exchange.delete-ok",
        AMQPClass::Exchange(exchange::AMQPMethod::Bind(_)) => "exchange.bind-ok",
        AMQPClass::Exchange(exchange::AMQPMethod::Unbind(_)) => "exchange.unbind-ok",
        AMQPClass::Queue(queue::AMQPMethod::Declare(_)) => "queue.declare-ok",
        AMQPClass::Queue(queue::AMQPMethod::Bind(_)) => "queue.bind-ok",
        AMQPClass::Queue(queue::AMQPMethod::Unbind(_)) => "queue.unbind-ok",
        AMQPClass::Queue(queue::AMQPMethod::Purge(_)) => "queue.purge-ok",
        AMQPClass::Queue(queue::AMQPMethod::Delete(_)) => "queue.delete-ok",
        AMQPClass::Basic(basic::AMQPMethod::Consume(_)) => "basic.consume-ok",
        AMQPClass::Basic(basic::AMQPMethod::Cancel(_)) => "basic.cancel-ok",
        AMQPClass::Basic(basic::AMQPMethod::Recover(_)) => "basic.recover-ok",
        AMQPClass::Confirm(confirm::AMQPMethod::Select(_)) => "confirm.select-ok",
        AMQPClass::Channel(channel::AMQPMethod::Flow(_)) => "channel.flow-ok",
        _ => "none",
    }
}

fn reply_name(m: &AMQPClass) -> &'static str {
    match m {
        AMQPClass::Exchange(exchange::AMQPMethod::DeclareOk(_)) => "exchange.declare-ok",
        AMQPClass::Exchange(exchange::AMQPMethod::DeleteOk(_)) => "exchange.delete-ok",
        AMQPClass::Exchange(exchange::AMQPMethod::BindOk(_)) => "exchange.bind-ok",
        AMQPClass::Exchange(exchange::AMQPMethod::UnbindOk(_)) => "exchange.unbind-ok",
        AMQPClass::Queue(queue::AMQPMethod::DeclareOk(_)) => "queue.declare-ok",
        AMQPClass::Queue(queue::AMQPMethod::BindOk(_)) => "queue.bind-ok",
        AMQPClass::Queue(queue::AMQPMethod::UnbindOk(_)) => "queue.unbind-ok",
        AMQPClass::Queue(queue::AMQPMethod::PurgeOk(_)) => "queue.purge-ok",
        AMQPClass::Queue(queue::AMQPMethod::DeleteOk(_)) => "queue.delete-ok",
        AMQPClass::Basic(basic::AMQPMethod::ConsumeOk(_)) => "basic.consume-ok",
        AMQPClass::Basic(basic::AMQPMethod::CancelOk(_)) => "basic.cancel-ok",
        AMQPClass::Basic(basic::AMQPMethod::RecoverOk(_)) => "basic.recover-ok",
        AMQPClass::Confirm(confirm::AMQPMethod::SelectOk(_)) => "confirm.select-ok",
        AMQPClass::Channel(channel::AMQPMethod::FlowOk(_)) => "channel.flow-ok",
        _ => "other",
    }
}
