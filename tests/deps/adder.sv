// SPDX-License-Identifier: Apache-2.0
// Smallest useful RTL: proves Verilator runs from CMake (tests/deps/test_verilator.cpp).
module adder(input [7:0] a, b, output [8:0] y); assign y = a + b; endmodule
