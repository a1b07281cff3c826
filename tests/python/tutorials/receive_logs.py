#!/usr/bin/env python
# "Publish/Subscribe" (RabbitMQ tutorial three): a queue of its own, bound to "logs".
import pika

connection = pika.BlockingConnection(pika.ConnectionParameters(host="localhost"))
channel = connection.channel()
channel.exchange_declare(exchange="logs", exchange_type="fanout")

result = channel.queue_declare(queue="", exclusive=True)
queue_name = result.method.queue
channel.queue_bind(exchange="logs", queue=queue_name)
print(" [*] Waiting for logs. To exit press CTRL+C")


def on_log(ch, method, properties, body):
    print(f" [x] {body.decode()}")


channel.basic_consume(queue=queue_name, on_message_callback=on_log, auto_ack=True)
channel.start_consuming()
