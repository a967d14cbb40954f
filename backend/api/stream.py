"""Placeholder: written next."""

from fastapi import APIRouter

router = APIRouter()
