#!/usr/bin/env python
# "Routing" (RabbitMQ tutorial four): the severities named on the command line.
import sys

import pika

connection = pika.BlockingConnection(pika.ConnectionParameters(host="localhost"))
channel = connection.channel()
channel.exchange_declare(exchange="direct_logs", exchange_type="direct")

result = channel.queue_declare(queue="", exclusive=True)
queue_name = result.method.queue

severities = sys.argv[1:]
if not severities:
    sys.stderr.write("Usage: %s [info] [warning] [error]\n" % sys.argv[0])
    sys.exit(1)
for severity in severities:
    channel.queue_bind(exchange="direct_logs", queue=queue_name, routing_key=severity)
print(" [*] Waiting for logs. To exit press CTRL+C")


def on_log(ch, method, properties, body):
    print(f" [x] {method.routing_key}:{body.decode()}")


channel.basic_consume(queue=queue_name, on_message_callback=on_log, auto_ack=True)
channel.start_consuming()
