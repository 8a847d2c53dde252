// A small Express app signed in with passport, as passport-http's and passport-http-bearer's READMEs show:
// /basic/ needs Basic (user pat), /bearer/ needs a Bearer token. Sessions are off: an API.
// Usage: node app.js PORT
'use strict';

const express = require('express');
const passport = require('passport');
const { BasicStrategy } = require('passport-http');
const BearerStrategy = require('passport-http-bearer').Strategy;

const users = { pat: 'passport-basic-pass' };
const tokens = { 'express-token-0987654321': 'pat' };

passport.use(new BasicStrategy({ realm: 'AuthDoctor Express' }, (user, password, done) => {
  done(null, users[user] !== undefined && users[user] === password ? { name: user } : false);
}));
passport.use(new BearerStrategy({ realm: 'AuthDoctor Express API' }, (token, done) => {
  const user = tokens[token];
  done(null, user ? { name: user } : false);
}));

const app = express();
app.get('/basic/', passport.authenticate('basic', { session: false }), (req, res) => {
  res.json({ user: req.user.name });
});
app.get('/bearer/', passport.authenticate('bearer', { session: false }), (req, res) => {
  res.json({ user: req.user.name });
});

const port = Number(process.argv[2]);
const server = app.listen(port, '127.0.0.1', () => console.log(`listening on 127.0.0.1:${port}`));
server.on('error', (error) => {
  // The test harness looks for this wording to retry on another port.
  console.error(error.code === 'EADDRINUSE' ? 'Address already in use' : error.message);
  process.exit(1);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
