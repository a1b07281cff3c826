# A passive declare of a queue that does not exist: the broker closes the channel (404).
import pika

connection = pika.BlockingConnection(pika.ConnectionParameters(host="localhost"))
channel = connection.channel()
print("declaring 'nope'")
channel.queue_declare(queue="nope", passive=True)
print("never printed")
