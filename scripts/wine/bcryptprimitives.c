/* Wine 8 (Debian 12) lacks bcryptprimitives.dll, from which Rust's standard library takes
 * ProcessPrng on Windows; Windows 10 and later have it. For the tests under Wine only
 * (scripts/cross-test.sh): ProcessPrng by way of bcrypt.dll, which Wine has. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
