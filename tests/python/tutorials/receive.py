#!/usr/bin/env python
# "Hello World" (RabbitMQ tutorial one), the receiver: prints what arrives on "hello".
import os
import sys

import pika


def main():
    connection = pika.BlockingConnection(pika.ConnectionParameters(host="localhost"))
    channel = connection.channel()
    channel.queue_declare(queue="hello", durable=True, arguments={"x-queue-type": "quorum"})

    def on_message(ch, method, properties, body):
        print(f" [x] Received {body.decode()}")

    channel.basic_consume(queue="hello", on_message_callback=on_message, auto_ack=True)
    print(" [*] Waiting for messages. To exit press CTRL+C")
    channel.start_consuming()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        print("Interrupted")
        try:
            sys.exit(0)
        except SystemExit:
            os._exit(0)
