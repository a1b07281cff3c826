# Publishes without end, never waits: Ctrl+C stops it.
import pika

connection = pika.BlockingConnection(pika.ConnectionParameters(host="localhost"))
channel = connection.channel()
channel.queue_declare(queue="flood", arguments={"x-max-length": 1000})
while True:
    channel.basic_publish(exchange="", routing_key="flood", body="again")
