#!/bin/sh
# Seeds demo accounts against running services: per currency a SYSTEM settlement account and three
# CUSTOMER accounts funded with 1,000.00 each (funding is a payment from the settlement account).
# Safe to run again: accounts that exist answer 409, funding payments reuse their Idempotency-Key.
set -eu
LEDGER_URL="${LEDGER_URL:-http://localhost:8082}"
PAYMENT_URL="${PAYMENT_URL:-http://localhost:8081}"

until curl -fsS "$LEDGER_URL/actuator/health" > /dev/null 2>&1 && curl -fsS "$PAYMENT_URL/actuator/health" > /dev/null 2>&1; do
  echo "waiting for ledger-service and payment-service..."; sleep 2
done

open_account() { # id currency type
  code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$LEDGER_URL/v1/accounts" \
    -H 'Content-Type: application/json' -d "{\"accountId\":\"$1\",\"currency\":\"$2\",\"type\":\"$3\"}")
  case "$code" in 201|409) echo "account $1 ($3, $2): $code";; *) echo "account $1 failed: $code"; exit 1;; esac
}

for ccy in USD EUR GBP; do
  lower=$(echo "$ccy" | tr 'A-Z' 'a-z')
  open_account "settlement-$lower" "$ccy" SYSTEM
  for who in alice bob carol; do
    open_account "$who-$lower" "$ccy" CUSTOMER
    curl -fsS -o /dev/null -X POST "$PAYMENT_URL/v1/payments" -H 'Content-Type: application/json' \
      -H "Idempotency-Key: seed-funding-$who-$lower" \
      -d "{\"sourceAccountId\":\"settlement-$lower\",\"destinationAccountId\":\"$who-$lower\",\"amount\":\"1000.00\",\"currency\":\"$ccy\",\"reference\":\"demo funding\"}"
    echo "funded $who-$lower with 1000.00 $ccy"
  done
done
