import requests

url = "https://api-prod.usefini.com/v2/bots/requests/public"
token = "your_api_key"  # Replace with your actual API key
headers = {"Authorization": f"Bearer {token}"}

params = {
    "startEpoch": 1633046400000,  # Optional
    "endEpoch": 1635638400000,  # Optional
    "limit": 50,  # Optional
    "direction": "",  # Optional (e.g., 'next' or 'previous')
    "cursor": "your_cursor_value",  # Optional
    "source": "zendesk",  # Optional
    "category": "support",  # Optional
    "feedbackType": "",  # Optional ('thumbs_up', 'thumbs_down', 'no_feedback')
    "escalation": True,  # Optional
    "hasLinks": False,  # Optional
    "userId": "",  # Optional
    "ticketId": "ticket456",  # Optional
    "question": "Example question?"  # Optional
}

response = requests.get(url, params=params, headers=headers)

if response.status_code == 200:
    print(response.json())
else:
    print(f"Failed to fetch data: {response.status_code}")
