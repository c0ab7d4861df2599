"""API test fixtures: a secretariat user with a token (throttling history is cleared by tests/conftest.py)."""

import pytest
from model_bakery import baker
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def secretariat_user(db, process, django_user_model):
    user = django_user_model.objects.create_user("colombo-secretariat", password="a-long-test-password-123")
    baker.make("rcps.SecretariatAssignment", user=user, process=process)
    return user


@pytest.fixture
def token_client(secretariat_user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=secretariat_user).key}")
    return client
