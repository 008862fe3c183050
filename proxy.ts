// Package addresses with broken percent-encoding (say /packages/%E0%A4%A) make Next fail while
// decoding the route's parameters and answer a bare 500; this answers 400 with a sentence first.
import { NextResponse, type NextRequest } from "next/server";

export function proxy(request: NextRequest): NextResponse {
  try {
    decodeURIComponent(request.nextUrl.pathname);
    return NextResponse.next();
  } catch {
    return new NextResponse("This address is not valid: it contains a broken percent-encoded character.\n", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

export const config = { matcher: "/packages/:path*" };
