"""The portal's JSON API: public read endpoints and token-authenticated writes for secretariats."""
