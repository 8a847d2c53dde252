<?php
// A WordPress-REST-like endpoint (GET /wp-json/wp/v2/users/me) signed in with an application password
// over Basic, as WordPress does: it reads the user from PHP_AUTH_USER, or from HTTP_AUTHORIZATION when the
// server passes only the header. Behind Apache's CGI neither arrives unless `CGIPassAuth On`.
header('Content-Type: application/json; charset=UTF-8');

$user = $_SERVER['PHP_AUTH_USER'] ?? null;
$password = $_SERVER['PHP_AUTH_PW'] ?? null;
$header = $_SERVER['HTTP_AUTHORIZATION'] ?? ($_SERVER['REDIRECT_HTTP_AUTHORIZATION'] ?? '');
if ($user === null && stripos($header, 'basic ') === 0) {
    $decoded = base64_decode(substr($header, 6), true);
    if ($decoded !== false && str_contains($decoded, ':')) {
        [$user, $password] = explode(':', $decoded, 2);
    }
}

function refuse(string $code, string $message): never
{
    http_response_code(401);
    header('WWW-Authenticate: Basic realm="AuthDoctor WordPress"');
    echo json_encode(['code' => $code, 'message' => $message, 'data' => ['status' => 401]]);
    exit;
}

if ($user === null) {
    refuse('rest_not_logged_in', 'You are not currently logged in.');
}
if ($user !== 'dora' || $password !== 'abcd efgh ijkl mnop') {
    refuse('incorrect_password', 'The provided password is an invalid application password.');
}
echo json_encode(['id' => 1, 'name' => $user, 'slug' => $user]);
