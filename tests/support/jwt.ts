/** Mints HS256 JWTs the local gateway accepts (Supabase CLI default secret), for tests only. */
export const LOCAL_JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

const encodeJson = (value: unknown) => base64Url(new TextEncoder().encode(JSON.stringify(value)));

export async function mintJwt(
  claims: Record<string, unknown>,
  secret: string = LOCAL_JWT_SECRET,
): Promise<string> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const header = encodeJson({ alg: "HS256", typ: "JWT" });
  const payload = encodeJson({ iat: nowSeconds, exp: nowSeconds + 3600, ...claims });
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign(
    "HMAC",
    key,
    new TextEncoder().encode(`${header}.${payload}`),
  );
  return `${header}.${payload}.${base64Url(new Uint8Array(signature))}`;
}

export const serviceRoleJwt = () => mintJwt({ role: "service_role", iss: "supabase-demo" });

export const memberJwt = (enterpriseIds: string[]) =>
  mintJwt({
    role: "authenticated",
    sub: crypto.randomUUID(),
    aud: "authenticated",
    app_metadata: { enterprise_ids: enterpriseIds },
  });
