# A bracket left open: Python refuses the file before it runs.
import pika

print("never printed"
