#!/usr/bin/env python
# "Work queues" (RabbitMQ tutorial two), the worker: one task at a time, a second per dot.
import time

import pika

connection = pika.BlockingConnection(pika.ConnectionParameters(host="localhost"))
channel = connection.channel()
channel.queue_declare(queue="task_queue", durable=True, arguments={"x-queue-type": "quorum"})
print(" [*] Waiting for messages. To exit press CTRL+C")


def on_task(ch, method, properties, body):
    print(f" [x] Received {body.decode()}")
    time.sleep(body.count(b"."))
    print(" [x] Done")
    ch.basic_ack(delivery_tag=method.delivery_tag)


channel.basic_qos(prefetch_count=1)
channel.basic_consume(queue="task_queue", on_message_callback=on_task)
channel.start_consuming()
