/**
 * The exact UID2 handler-level error messages (spec/api.md §6–§10), so the operator and the
 * parsers of this package share one spelling. Envelope messages (§3.1) belong to
 * `crypto-envelope`; refresh-wrapper messages (§6.2) to `token-core`.
 */
export const ErrorMessage = {
  /** §6.1, §6.3, §7.1: missing or ambiguous DII (phone support on). */
  ExactlyOneDii:
    'Required Parameter Missing: exactly one of [email, email_hash, phone, phone_hash] must be specified',
  /** §6.1, §6.3, §7.1: missing or ambiguous DII (phone support off). */
  ExactlyOneEmailDii: 'Required Parameter Missing: exactly one of email or email_hash must be specified',
  /** §6.1, §6.3, §6.4 row 13: a DII value that does not normalize. */
  InvalidIdentifier: 'Invalid Identifier',
  /** §6.1: EUID consent string present but unparsable. */
  UserConsentInvalid: 'User consent is invalid',
  /** §6.1: legacy input-validation failure. */
  InvalidArguments: 'request body contains invalid argument(s)',
  /** §6.1, §6.2, §6.4: no active master/site/refresh key (HTTP 500 `unknown`). */
  NoActiveKey: 'No active encryption key available',
  /** §6.1: unexpected failure while generating (HTTP 500 `unknown`). */
  GenerateUnknown: 'Unknown error while generating token v2',
  /** §6.2: unauthenticated refresh of an invalid or expired token (`error`). */
  RefreshError: 'Error refreshing token',
  /** §6.2: authenticated refresh of an invalid token (`invalid_token`). */
  RefreshInvalidToken: 'Invalid Token presented',
  /** §6.2: authenticated refresh of an expired token (`expired_token`). */
  RefreshExpiredToken: 'Expired Token presented',
  /** §6.2: unexpected failure while refreshing (HTTP 500 `unknown`). */
  RefreshUnknown: 'Unknown error while refreshing token v2',
  /** §6.3: token of another site. */
  ValidateUnauthorised: 'Unauthorised to validate token',
  /** §6.3: token missing or undecodable. */
  ValidateInvalidToken: 'Invalid token',
  /** §6.4 row 1: CSTG body is not JSON. */
  CstgJsonInvalid: 'json payload is not valid',
  /** §6.4 row 2: CSTG body absent or JSON `null`. */
  CstgJsonMissing: 'json payload expected but not found',
  /** §6.4 row 3. */
  CstgBadSubscriptionId: 'bad subscription_id',
  /** §6.4 row 4 (HTTP 401 `unauthorized`). */
  CstgUnauthorized: 'Unauthorized',
  /** §6.4 row 5a (HTTP 403 `invalid_app_name`). */
  CstgUnexpectedAppName: 'unexpected app name',
  /** §6.4 row 5b (HTTP 403 `invalid_http_origin`). */
  CstgUnexpectedOrigin: 'unexpected http origin',
  /** §6.4 row 6. */
  CstgRequiredParameters: 'required parameters: payload, iv, public_key',
  /** §6.4 row 7. */
  CstgBadPublicKey: 'bad public key',
  /** §6.4 row 8. */
  CstgBadIv: 'bad iv',
  /** §6.4 row 9. */
  CstgDecryptionFailed: 'payload decryption failed',
  /** §6.4 row 10. */
  CstgInvalidJson: 'encrypted payload contains invalid json',
  /** §6.4 row 11. */
  CstgPhoneNotEnabled: 'phone support not enabled',
  /** §6.4 row 12 (phone support on). */
  CstgExactlyOneHash: 'please provide exactly one of: email_hash, phone_hash',
  /** §6.4 row 12 (phone support off). */
  CstgEmailHashRequired: 'please provide email_hash',
  /** §6.4: any other exception (HTTP 500 `unknown`). */
  CstgUnknown: 'Unknown error while handling client side token generate',
  /** §7.1, §7.2: service key without a valid link (HTTP 401 `unauthorized`). */
  InvalidLinkId: 'Invalid link_id',
  /** §7.1: unexpected failure (HTTP 500 `unknown`). */
  MapV2Unknown: 'Unknown error while mapping identity v2',
  /** §7.2: payload null or `{}` (phone support on). */
  MapV3OneOrMore:
    'Required Parameter Missing: one or more of [email, email_hash, phone, phone_hash] must be specified',
  /** §7.2: payload null or `{}` (phone support off). */
  MapV3OneOrMoreEmail: 'Required Parameter Missing: one or more of [email, email_hash] must be specified',
  /** §7.2: unknown key, null element or non-array value. */
  IncorrectRequestFormat: 'Incorrect request format',
  /** §7.2: unexpected failure (HTTP 500 `unknown`). */
  MapV3Unknown: 'Unknown error while mapping identity v3',
  /** §7.3. */
  BucketsMissingSince: 'missing parameter since_timestamp',
  /** §7.3. */
  BucketsInvalidDate: 'invalid date, must conform to ISO 8601',
  /** §8: payload null. */
  OptOutStatusInvalidBody: 'Invalid request body',
  /** §8. */
  OptOutStatusMissingIds: 'Required Parameter Missing: advertising_ids',
  /** §8: more than `optout_status_max_request_size` ids. */
  OptOutStatusTooLarge: 'Request payload is too large',
  /** §8: unexpected failure (HTTP 500 `unknown`). */
  OptOutStatusUnknown: 'Unknown error while getting optout status',
  /**
   * §10.1: logout with a missing/ambiguous DII or null payload (`invalid_token`). A present but
   * invalid DII gets `"Invalid Token presented "` followed by a Java object id in the reference;
   * clients cannot rely on that suffix.
   */
  LogoutInvalidDii: 'Invalid Token presented null',
  /**
   * §10.1: logout with a present but invalid DII. The reference prints a Java object id after
   * the prefix (`com.uid2.operator.service.InputUtil$InputVal@<hex>`), which no client can rely
   * on; this operator keeps the prefix and a fixed suffix.
   */
  LogoutInvalidIdentifier: 'Invalid Token presented invalid identifier',
} as const;

/** §7.1: the v2 identity-map message for a DII key whose value is not an array. */
export function mustBeAnArray(key: string): string {
  return `${key} must be an array`;
}

/** §9.3: `/v2/key/latest` caller with a reserved site id (HTTP 401 `invalid_client`). */
export function unexpectedClientSiteId(siteId: number): string {
  return `Unexpected client site id ${siteId}`;
}
