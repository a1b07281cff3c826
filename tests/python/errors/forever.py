# A loop that never ends and never waits for the broker: Ctrl+C stops it where it is.
n = 0
while True:
    n += 1
