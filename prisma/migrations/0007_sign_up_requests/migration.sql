-- 0007_sign_up_requests: a sign-up becomes an account only once its e-mail
-- address is confirmed, so sign-up answers the same whether or not the
-- address already has an account. A request is global, like "users": no
-- account and no workspace exist yet (an invitation's workspace is only
-- named, and entered at confirmation through its own tenant context).
-- Only the hash of the code sent by mail is kept.

CREATE TABLE "sign_up_requests" (
  "id" uuid NOT NULL,
  "email" text NOT NULL,
  "name" text NOT NULL,
  "password_hash" text NOT NULL,
  "workspace_name" text,
  "invitation_tenant_id" uuid,
  "invitation_token_hash" text,
  "code_hash" text NOT NULL,
  "created_at" timestamptz(3) NOT NULL DEFAULT now(),
  "expires_at" timestamptz(3) NOT NULL,
  CONSTRAINT "sign_up_requests_pkey" PRIMARY KEY ("id"),
  -- Either a workspace to create or an invitation to accept.
  CONSTRAINT "sign_up_requests_one_destination" CHECK (
    ("workspace_name" IS NULL) <> ("invitation_tenant_id" IS NULL)
    AND ("invitation_tenant_id" IS NULL) = ("invitation_token_hash" IS NULL))
);

CREATE UNIQUE INDEX "sign_up_requests_code_hash_key" ON "sign_up_requests"("code_hash");
CREATE INDEX "sign_up_requests_email_idx" ON "sign_up_requests"("email");
CREATE INDEX "sign_up_requests_expires_at_idx" ON "sign_up_requests"("expires_at");

GRANT SELECT, INSERT, UPDATE, DELETE ON "sign_up_requests" TO hoursync_app;
