# The next terminal goes on as usual after a command that found no file.
print("still here")
