# The right user with the wrong password: the broker refuses the login.
import pika

credentials = pika.PlainCredentials("guest", "not-the-password")
print("connecting")
connection = pika.BlockingConnection(pika.ConnectionParameters(host="localhost", credentials=credentials))
print("never printed")
