# A module this Python cannot give (it talks HTTP to the internet).
print("importing")
import requests  # noqa: E402

print(requests.get("https://www.rabbitmq.com").status_code)
