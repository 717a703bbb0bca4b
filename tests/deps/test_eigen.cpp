// SPDX-License-Identifier: Apache-2.0
#include <Eigen/Dense>
#include <catch2/catch.hpp>

TEST_CASE("Eigen integer matrix product matches the hand-computed result") {
  Eigen::Matrix<int, 2, 3> a;
  a << 1, 2, 3,
       4, 5, 6;
  Eigen::Matrix<int, 3, 2> b;
  b << 7, 8,
       9, 10,
       11, 12;
  // [1*7+2*9+3*11, 1*8+2*10+3*12; 4*7+5*9+6*11, 4*8+5*10+6*12]
  Eigen::Matrix<int, 2, 2> expected;
  expected << 58, 64,
              139, 154;
  const Eigen::Matrix<int, 2, 2> c = a * b;
  CHECK(c == expected);
}

TEST_CASE("Eigen dynamic double product of a matrix and its inverse is the identity") {
  Eigen::MatrixXd m(2, 2);
  m << 4.0, 7.0,
       2.0, 6.0;  // det = 10, inverse = [0.6 -0.7; -0.2 0.4]
  Eigen::MatrixXd inv(2, 2);
  inv << 0.6, -0.7,
         -0.2, 0.4;
  CHECK((m * inv).isApprox(Eigen::MatrixXd::Identity(2, 2), 1e-12));
  CHECK(m.inverse().isApprox(inv, 1e-12));
}
